/* stats.c - the benchmark's clock, and the median and spread of repeated samples. */
#include <stdlib.h>

#include "bench.h"

double bench_now_ms(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER now;

    if (!freq.QuadPart)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&now);
    return (double)now.QuadPart * 1000.0 / (double)freq.QuadPart;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void bench_stat_of(double *samples, unsigned n, struct bench_stat *out)
{
    ZeroMemory(out, sizeof(*out));
    if (!n)
        return;
    qsort(samples, n, sizeof(*samples), by_value);
    out->n = n;
    out->min = samples[0];
    out->max = samples[n - 1];
    out->median = n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
    out->spread = out->median > 0 ? (out->max - out->min) / out->median : 0;
}
