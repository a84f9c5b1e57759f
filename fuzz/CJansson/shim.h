/* jansson, for the JSON differential check (fuzz/Checks/JanssonOracle.swift). */
#include <jansson.h>

/* json_typeof and the json_is_* tests are macros, which Swift does not import. */
static inline int evr_json_type(const json_t *json) { return json ? (int)json_typeof(json) : -1; }
