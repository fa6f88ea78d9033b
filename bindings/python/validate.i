/* validate.i: bindings of the validate module (written by that module) */
