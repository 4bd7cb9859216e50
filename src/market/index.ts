/**
 * The 'mktnb' module: everything a cell (or any Node program) can import.
 *   import { load, corr, plot } from 'mktnb';
 * Cells also get these as globals.
 */
export * from './series';
export { Chart, Table } from './output';
export { runtime, setRuntime } from './context';
export * from './core';
export * from './plot';
export * from './cascade';
export { sql, db, SqlError, UnsupportedTypeError } from '../data/index';
