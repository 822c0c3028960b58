/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  // file-type and its helpers, and content-disposition (@fastify/static's), ship ESM only: let swc transpile them.
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/)?(file-type|content-disposition|strtok3|token-types|peek-readable|@tokenizer|uint8array-extras|@borewit)[@/+])'],
  resolver: '<rootDir>/jest.resolver.js',
  testTimeout: 60000,
};
