/* match.i: bindings of the match module (written by that module) */
