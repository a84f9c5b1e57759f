/* Compiles the public header on its own, strictly, as C99 and as C++ (run.sh builds both with
 * -Wall -Wextra -pedantic -Werror), and checks the constants the header promises. */
#include "eventrouter.h"
#include "eventrouter.h" /* include guard */

#ifdef __cplusplus
#define STATIC_CHECK(cond, name) static_assert(cond, #name)
#else
#define STATIC_CHECK(cond, name) typedef char static_check_##name[(cond) ? 1 : -1]
#endif

STATIC_CHECK(EVR_OK == 0, ok_is_zero);
STATIC_CHECK(EVR_E_ARGUMENT < 0 && EVR_E_INTERNAL < 0, errors_are_negative);
STATIC_CHECK(sizeof(((evr_error *)0)->code) == EVR_ERROR_CODE_SIZE, code_size);
STATIC_CHECK(sizeof(((evr_error *)0)->message) == EVR_ERROR_MESSAGE_SIZE, message_size);
STATIC_CHECK(EVR_NTS == (size_t)-1, nts);
STATIC_CHECK(EVR_VERSION_NUMBER == EVR_VERSION_MAJOR * 10000 + EVR_VERSION_MINOR * 100 + EVR_VERSION_PATCH, version_number);

/* Every declaration is usable through a function pointer of the documented type. */
static evr_status (*const f_match)(size_t *, const evr_ruleset *, const char *, size_t, evr_match_fn, void *, evr_error *) =
    evr_ruleset_match;
static evr_status (*const f_call)(char **, size_t *, evr_router *, const char *, size_t, const char *, size_t, const char *,
                                  size_t, const char *, size_t, const char *, size_t, evr_error *) = evr_router_call;

int main(void) {
    evr_ruleset_options ruleset_options = EVR_RULESET_OPTIONS_INIT;
    evr_router_options router_options = EVR_ROUTER_OPTIONS_INIT;
    evr_error err;
    err.status = EVR_OK;
    (void)err;
    (void)f_match;
    (void)f_call;
    return (int)(ruleset_options.version + router_options.version) == 2 * 1 ? 0 : 1;
}
