/** The lint configuration's own specs: the layer rules of eslint.config.mjs are tested like code. */
module.exports = { ...require('../../jest.preset.js'), displayName: 'lint', rootDir: __dirname };
