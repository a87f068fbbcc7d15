import { fireEvent, render, screen } from '@testing-library/react';
import { VirtualRows, visibleRange } from './VirtualRows';

const rows = Array.from({ length: 100_000 }, (_, i) => `statement ${i}`);

describe('VirtualRows', () => {
  it('renders only a window of 100,000 rows, and the rows under the scroll position', () => {
    const nearEnd = vi.fn();
    const { container } = render(
      <VirtualRows label="events" rows={rows} rowHeight={30} height={600} overscan={5} onNearEnd={nearEnd} renderRow={(r) => <span role="cell">{r}</span>} />,
    );
    expect(container.querySelectorAll('.virtual-row').length).toBe(25);
    expect(screen.getByText('statement 0')).toBeInTheDocument();
    expect(screen.queryByText('statement 5000')).toBeNull();

    const viewport = container.querySelector('.virtual-viewport')!;
    viewport.scrollTop = 5000 * 30;
    fireEvent.scroll(viewport);
    expect(screen.getByText('statement 5000')).toBeInTheDocument();
    expect(screen.queryByText('statement 0')).toBeNull();
    expect(container.querySelectorAll('.virtual-row').length).toBeLessThanOrEqual(31);
    expect(nearEnd).not.toHaveBeenCalled();

    viewport.scrollTop = 100_000 * 30 - 600;
    fireEvent.scroll(viewport);
    expect(screen.getByText('statement 99999')).toBeInTheDocument();
    expect(nearEnd).toHaveBeenCalled();
  });

  it('computes the window at the edges', () => {
    expect(visibleRange(0, 300, 30, 5, 2)).toEqual([0, 5]);
    expect(visibleRange(300, 300, 30, 1000, 2)).toEqual([8, 22]);
    expect(visibleRange(0, 300, 30, 0, 2)).toEqual([0, 0]);
  });
});
