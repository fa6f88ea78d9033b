/* partydata.i: the SWIG interface of libpartydata. One .i per module; the Python
 * package `partydata` (partydata/__init__.py) builds the Pythonic API on top of the
 * flat functions wrapped here (module partydata.partydata_c). */
%module(package="partydata") partydata_c

%include "core.i"
%include "record.i"
%include "classification.i"
%include "codec.i"
%include "refdata.i"
%include "normalize.i"
%include "validate.i"
%include "store.i"
%include "generate.i"
%include "match.i"
