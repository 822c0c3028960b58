/**
 * Shared by the Playwright config (which starts the server) and the tests. The port is picked
 * once per run (workers inherit it through the environment), so two runs on one machine, such as
 * CI beside a developer, do not collide; set E2E_PORT to choose it.
 */
process.env.E2E_PORT ??= String(20_000 + Math.floor(Math.random() * 20_000));
export const E2E_PORT = Number(process.env.E2E_PORT);
export const ADMIN_PASSWORD = 'E2e-admin-Pass-4821';
