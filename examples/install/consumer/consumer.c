/* A program that uses fuss as an installed package (examples/install/check.sh). */
#include <fuss.h>
#include <stdio.h>

static fuss_mutex_t lock = FUSS_MUTEX_INIT;
static fuss_cond_t cond = FUSS_COND_INIT;

int main(void)
{
    uint32_t word = 0;
    unsigned woken = 1;
    int e = fuss_mutex_lock(&lock);
    if (!e) e = fuss_cond_signal(&cond);
    if (!e) e = fuss_mutex_unlock(&lock);
    if (!e) e = fuss_futex_wake(&word, 1, FUSS_PRIVATE, &woken);
    printf("consumer: fuss (%s backend) works: %s\n", fuss_futex_backend(),
           e == 0 && woken == 0 ? "yes" : "no");
    return e == 0 && woken == 0 ? 0 : 1;
}
