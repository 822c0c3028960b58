import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../api/client';
import { AppContext, type AppServices } from '../app-context';
import { initI18n } from '../i18n';
import { fakePlatform } from '../test/fakes';
import { LoginScreen } from './AuthScreens';

beforeAll(() => initI18n('en-US'));
afterEach(cleanup);

function renderLogin(server: { url: string; locked: boolean; presetWarning?: string }) {
  const services = { api: {} as ApiClient, platform: fakePlatform() } as unknown as AppServices;
  render(
    <AppContext.Provider value={services}>
      <LoginScreen server={server} onServer={() => undefined} onLoggedIn={() => undefined} />
    </AppContext.Provider>,
  );
}

describe('LoginScreen and IT presets', () => {
  it('shows a server address IT locked as read-only', () => {
    renderLogin({ url: 'https://hi-msg.corp.example', locked: true });
    expect(screen.getByText('https://hi-msg.corp.example')).toBeTruthy();
    expect(screen.getByText(/Set by your IT department/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Change server' })).toBeNull();
  });

  it('says why IT’s settings file was ignored', () => {
    renderLogin({ url: 'https://hi-msg.corp.example', locked: false, presetWarning: 'hi-msg.config.json: serverUrl must be a URL' });
    expect(screen.getByText(/settings file from IT could not be read.*serverUrl must be a URL/)).toBeTruthy();
  });
});
