/* generate.i: bindings of the generate module (written by that module) */
