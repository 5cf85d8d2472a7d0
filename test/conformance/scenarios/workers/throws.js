// A worker script that throws at its top level (workers-errors.js).

throw new Error('top');
