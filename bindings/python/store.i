/* store.i: bindings of the store module (written by that module) */
