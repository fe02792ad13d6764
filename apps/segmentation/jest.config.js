const preset = require('../../jest.preset.js');

// ml-kmeans and its ml-* dependencies ship ES modules only: transformed like @nestjs.
module.exports = { ...preset, displayName: 'segmentation', rootDir: __dirname, transformIgnorePatterns: ['/node_modules/(?!(@nestjs|ml-[^/]+|is-any-array|binary-search|fft\\.js|cheminfo-types)/)'] };
