/* A program that closes its stderr before it exits (xz and sort do): the
 * drop-in's statistics still come out (its stats run checks them). */
#include <unistd.h>
#include "check.h"

int main(void)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    EQ(pthread_mutex_lock(&m), 0);
    EQ(pthread_mutex_unlock(&m), 0);
    EQ(close(2), 0);
    puts("closed_stderr: ok");
    return 0;
}
