/* once: size, zero-init, fn runs exactly once across both entry points. */
#include "harness.h"
#include "fuss/once.h"

static int calls, arg_calls;
static void fn(void) { calls++; }
static void fn_arg(void *p) { arg_calls += *(int *)p; }

int main(void)
{
    test_watchdog(30, "once_states");
    CHECK_EQ(sizeof(fuss_once_t), 4);
    fuss_once_t o;
    memset(&o, 0, sizeof o);
    for (int i = 0; i < 3; i++) CHECK_EQ(fuss_once(&o, fn), 0);
    CHECK_EQ(calls, 1);
    int seven = 7;
    CHECK_EQ(fuss_once_arg(&o, fn_arg, &seven), 0);  /* already done: fn_arg not run */
    CHECK_EQ(arg_calls, 0);

    fuss_once_t o2 = FUSS_ONCE_INIT;
    CHECK_EQ(fuss_once_arg(&o2, fn_arg, &seven), 0);
    CHECK_EQ(fuss_once_arg(&o2, fn_arg, &seven), 0);
    CHECK_EQ(fuss_once(&o2, fn), 0);
    CHECK_EQ(arg_calls, 7);
    CHECK_EQ(calls, 1);
    return test_done();
}
