/* codec.i: bindings of the codec module (written by that module) */
