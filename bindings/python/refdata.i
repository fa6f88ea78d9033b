/* refdata.i: bindings of the refdata module (written by that module) */
