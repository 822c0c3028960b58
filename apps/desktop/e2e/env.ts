/**
 * Shared by the Playwright config (which starts the server) and the tests. The port is picked
 * once per run (workers inherit it through the environment), so two runs on one machine, such as
 * CI beside a developer, do not collide; set E2E_PORT to choose it.
 */
// Below Linux's range for outgoing connections (32768 up): a port there can be held by any
// connection the machine opens, and the server would then fail to listen on it.
process.env.E2E_PORT ??= String(20_000 + Math.floor(Math.random() * 12_000));
export const E2E_PORT = Number(process.env.E2E_PORT);
export const ADMIN_PASSWORD = 'E2e-admin-Pass-4821';
