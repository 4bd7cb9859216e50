// ESLint flat config. Its main job is the layering in ARCHITECTURE.md: each folder may import
// only what its zone allows (import-x/no-restricted-paths, as vscode-jupyter enforces its
// webview/extension split), so a `vscode` import in the analysis library, or Node in a
// renderer, fails `npm run lint` instead of waiting for a reviewer.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';

/** Node's built-in modules, for the zones that must stay browser- or library-pure. */
const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'util',
  'vm',
  'crypto',
  'stream',
  'net',
  'http',
  'https',
  'url',
  'zlib',
  'events',
  'module',
  'process',
  'buffer',
];

const restrict = (names, message) => names.map((name) => ({ name, message }));
const nodeOnly = (where) => ({
  paths: [
    ...restrict(
      NODE_BUILTINS.filter((n) => !n.includes('*')),
      `${where} may not import Node built-ins (see ARCHITECTURE.md)`,
    ),
    { name: 'vscode', message: `${where} may not import vscode` },
  ],
  patterns: [{ group: ['node:*', 'fs/*'], message: `${where} may not import Node built-ins (see ARCHITECTURE.md)` }],
});

// Everything above the analysis library: the adapters, the kernel, the CLI and the export. The
// zones below forbid it (plus what else each one may not see) to the lower layers.
const ABOVE_LIBRARY = [
  './src/notebook',
  './src/kernel',
  './src/cli',
  './src/export',
  './src/quick',
  './src/tsplugin',
  './src/extension.ts',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.vscode-test/**',
      'test-results/**',
      'samples/out/**',
      'test/fixtures/**',
      '**/*.d.ts',
      'coverage/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.mjs', '.js'] } } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // typeof import('x') stays allowed: it types a module loaded lazily (esbuild, DuckDB) without loading it
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      // Warn: the budget in scripts/lint-budget.mjs only goes down.
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-var': 'error',
      'prefer-const': ['error', { destructuring: 'all' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // The layers (ARCHITECTURE.md). Paths are relative to this file.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/market',
              from: [...ABOVE_LIBRARY, './renderers'],
              message: 'src/market is the analysis library: it may import only src/market and src/shared.',
            },
            {
              target: './src/shared',
              from: [...ABOVE_LIBRARY, './src/market', './renderers'],
              message:
                'src/shared holds schemas and protocols shared by both sides: it imports nothing of the project.',
            },
            {
              target: './renderers',
              from: [...ABOVE_LIBRARY, './src/market'],
              message: 'renderers are browser code: they share only src/shared with the rest.',
            },
            {
              target: './src/kernel',
              from: ['./src/notebook', './src/extension.ts'],
              message: 'the kernel runs outside VS Code: it may not import the VS Code adapters.',
            },
            {
              target: './src/format',
              from: [...ABOVE_LIBRARY, './src/market', './renderers'],
              message: 'src/format is the pure file format.',
            },
            {
              target: './src/data',
              from: [...ABOVE_LIBRARY, './renderers'],
              message:
                'src/data is the data layer under the library: it may import only src/market, src/shared and its engines.',
            },
            {
              target: './src/cli',
              from: ['./src/notebook', './src/extension.ts'],
              message: 'the CLI runs without VS Code.',
            },
          ],
        },
      ],
    },
  },
  // The analysis library: no vscode anywhere, Node built-ins only in the files that read data.
  {
    files: ['src/market/**/*.ts'],
    ignores: ['src/market/load.ts'],
    rules: { 'no-restricted-imports': ['error', nodeOnly('src/market (outside its data-reading files)')] },
  },
  {
    files: ['src/market/load.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/market may not import vscode' }] }],
    },
  },
  {
    files: ['src/shared/**/*.ts', 'src/format/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', nodeOnly('src/shared and src/format')] },
  },
  {
    files: ['renderers/**/*.ts'],
    languageOptions: { globals: globals.browser },
    rules: { 'no-restricted-imports': ['error', nodeOnly('renderers')] },
  },
  {
    files: ['src/kernel/**/*.ts', 'src/cli/**/*.ts', 'src/data/**/*.ts', 'src/quick/**/*.ts', 'src/export/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'the kernel and the CLI run outside VS Code' }] },
      ],
    },
  },
  // One owner per job: the extension's one output channel (two of one name confuse the Output view).
  {
    files: ['src/**/*.ts'],
    ignores: ['src/notebook/log.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          property: 'createOutputChannel',
          message: 'the extension has one output channel: use extensionLog() from src/notebook/log.ts',
        },
      ],
    },
  },
  // Tests, benchmarks and scripts may import anything; they are linted for promises and style.
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
