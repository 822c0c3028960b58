/** Shared by the Playwright config (which starts the server) and the tests. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 5179);
export const ADMIN_PASSWORD = 'E2e-admin-Pass-4821';
