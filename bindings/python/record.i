/* record.i: bindings of the record module (written by that module) */
