// file-type and its helpers publish only `import` exports; resolve those packages with ESM
// conditions (swc then transpiles them, see transformIgnorePatterns) and everything else as usual.
const ESM_ONLY = /^(file-type|strtok3|token-types|peek-readable|uint8array-extras|@tokenizer\/[^/]+|@borewit\/[^/]+)(\/|$)/;

module.exports = (path, options) =>
  options.defaultResolver(path, ESM_ONLY.test(path) ? { ...options, conditions: ['import', 'node', 'default'] } : options);
