/**
 * Registers every material's tasks: carbon's four (taskTable.ts) and amorphous boron nitride's
 * electronic ones (boronNitrideTasks.ts). Modules that look tasks up by name import this once.
 */
import './taskTable.js';
import './boronNitrideTasks.js';
