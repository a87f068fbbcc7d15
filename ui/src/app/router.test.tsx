import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Link, matchPath, Router, Routes } from './router';

describe('matchPath', () => {
  it('matches literal segments and decodes parameters', () => {
    expect(matchPath('/events/:id', '/events/index%3A42')).toEqual({ id: 'index:42' });
    expect(matchPath('/endpoints/new', '/endpoints/new')).toEqual({});
  });

  it('refuses other lengths, other literals and malformed escapes', () => {
    expect(matchPath('/events/:id', '/events')).toBeNull();
    expect(matchPath('/events/:id', '/sessions/1')).toBeNull();
    expect(matchPath('/events/:id', '/events/%E0%A4%A')).toBeNull();
  });
});

describe('Router', () => {
  it('moves between pages on a link click without reloading, and the URL follows', async () => {
    window.history.replaceState(null, '', '/');
    render(
      <Router>
        <Link to="/events/7">open event</Link>
        <Routes
          routes={[
            { path: '/', render: () => <p>home</p> },
            { path: '/events/:id', render: (p) => <p>event {p.id}</p> },
          ]}
          fallback={<p>missing</p>}
        />
      </Router>,
    );
    expect(screen.getByText('home')).toBeInTheDocument();
    await userEvent.click(screen.getByText('open event'));
    expect(screen.getByText('event 7')).toBeInTheDocument();
    expect(window.location.pathname).toBe('/events/7');
  });
});
