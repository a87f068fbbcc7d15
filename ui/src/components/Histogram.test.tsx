import { fireEvent, render, screen } from '@testing-library/react';
import { Histogram, spanOf } from './Histogram';

const buckets = Array.from({ length: 10 }, (_, i) => ({ start: new Date(Date.UTC(2026, 10, 23, i)).toISOString(), count: i * 3 }));

describe('Histogram', () => {
  it('turns a brushed span of bars into a time range, in either direction', () => {
    const [from, to] = spanOf(buckets, 3600, 6, 2);
    expect(from.toISOString()).toBe('2026-11-23T02:00:00.000Z');
    expect(to.toISOString()).toBe('2026-11-23T07:00:00.000Z');
  });

  it('zooms to the bar chosen with the keyboard', () => {
    const onSelect = vi.fn();
    render(<Histogram label="Events" buckets={buckets} bucketSeconds={3600} onSelect={onSelect} />);
    const chart = screen.getByRole('img', { name: /135 events in 10 intervals/ });
    fireEvent.keyDown(chart, { key: 'ArrowRight' });
    fireEvent.keyDown(chart, { key: 'ArrowRight' });
    fireEvent.keyDown(chart, { key: 'Enter' });
    expect(onSelect).toHaveBeenCalledWith(new Date('2026-11-23T02:00:00.000Z'), new Date('2026-11-23T03:00:00.000Z'));
  });
});
