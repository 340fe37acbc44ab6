/* Stand-in for glibc's build-tree config.h (our own code): the NPTL tests
 * that include it need none of its settings. */
