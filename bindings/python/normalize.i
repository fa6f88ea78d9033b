/* normalize.i: bindings of the normalize module (written by that module) */
