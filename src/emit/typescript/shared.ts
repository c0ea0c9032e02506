// The generated values every style's entry points pass to the runtime.
import { CONTRACT_FILE } from './descriptor.js';
import { ERRORS_FILE } from './errors.js';
import { generated } from './symbols.js';

export const contractValue = generated(CONTRACT_FILE, 'contract');
export const errorClassesValue = generated(ERRORS_FILE, 'errorClasses');
