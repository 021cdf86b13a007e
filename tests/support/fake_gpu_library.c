/* A stand-in for libnvidia-ml.so.1 and librocm_smi64.so: the same symbols, scripted values.
 * Each API reads its own script, FAKE_NVML_SCRIPT or FAKE_ROCM_SMI_SCRIPT, else FAKE_GPU_SCRIPT,
 * into its own devices, so that one library can stand in for both on one node. A script has
 * one line per device:
 *   device INDEX POWER_W COUNTER(0|1) NAME UUID
 * and optional events, times in seconds after nvmlInit / rsmi_init:
 *   reset INDEX AT_S        the energy counter falls back to 0 at AT_S (a driver reload)
 *   error INDEX FROM_S TO_S every read of the device fails in [FROM_S, TO_S)
 * Energy grows at exactly POWER_W from an arbitrary non-zero start. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_DEVICES 16
#define NOT_SUPPORTED 3
#define UNKNOWN_ERROR 999

struct device {
  double power_w;
  int counter;
  char name[64], uuid[80];
  double reset_at_s, error_from_s, error_to_s;
};

/* The devices of one API, with the time its init was called. */
struct api {
  struct device devices[MAX_DEVICES];
  unsigned device_count;
  double start_s;
};

static struct api nvml, rsmi;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int load(struct api *api, const char *script_variable) {
  const char *path = getenv(script_variable);
  if (!path) path = getenv("FAKE_GPU_SCRIPT");
  FILE *f = path ? fopen(path, "r") : NULL;
  char line[256];
  api->device_count = 0;
  if (!f) return UNKNOWN_ERROR;
  while (fgets(line, sizeof line, f)) {
    unsigned i;
    double a, b;
    struct device d = {0};
    d.reset_at_s = d.error_from_s = d.error_to_s = -1;
    if (sscanf(line, "device %u %lf %d %63s %79s", &i, &d.power_w, &d.counter, d.name, d.uuid) == 5 && i < MAX_DEVICES) {
      api->devices[i] = d;
      if (i + 1 > api->device_count) api->device_count = i + 1;
    } else if (sscanf(line, "reset %u %lf", &i, &a) == 2 && i < MAX_DEVICES) {
      api->devices[i].reset_at_s = a;
    } else if (sscanf(line, "error %u %lf %lf", &i, &a, &b) == 3 && i < MAX_DEVICES) {
      api->devices[i].error_from_s = a;
      api->devices[i].error_to_s = b;
    }
  }
  fclose(f);
  api->start_s = now_s();
  return 0;
}

static int failing(const struct device *d, double t) { return t >= d->error_from_s && t < d->error_to_s; }

static double energy_j(const struct device *d, double t) {
  if (d->reset_at_s >= 0 && t >= d->reset_at_s) return d->power_w * (t - d->reset_at_s);
  return 1000.0 + d->power_w * t;
}

/* NVML */
int nvmlInit_v2(void) { return load(&nvml, "FAKE_NVML_SCRIPT"); }
int nvmlShutdown(void) { return 0; }
int nvmlDeviceGetCount_v2(unsigned *count) { *count = nvml.device_count; return 0; }
int nvmlDeviceGetHandleByIndex_v2(unsigned i, void **handle) {
  if (i >= nvml.device_count) return 2;
  *handle = &nvml.devices[i];
  return 0;
}
int nvmlDeviceGetName(void *h, char *name, unsigned length) { snprintf(name, length, "%s", ((struct device *)h)->name); return 0; }
int nvmlDeviceGetUUID(void *h, char *uuid, unsigned length) { snprintf(uuid, length, "%s", ((struct device *)h)->uuid); return 0; }
int nvmlDeviceGetTotalEnergyConsumption(void *h, unsigned long long *mj) {
  const struct device *d = h;
  double t = now_s() - nvml.start_s;
  if (!d->counter) return NOT_SUPPORTED;
  if (failing(d, t)) return UNKNOWN_ERROR;
  *mj = (unsigned long long)(energy_j(d, t) * 1000.0 + 0.5);
  return 0;
}
int nvmlDeviceGetPowerUsage(void *h, unsigned *mw) {
  const struct device *d = h;
  if (failing(d, now_s() - nvml.start_s)) return UNKNOWN_ERROR;
  *mw = (unsigned)(d->power_w * 1000.0 + 0.5);
  return 0;
}

/* ROCm SMI */
#define RESOLUTION_UJ 15.3f
int rsmi_init(unsigned long long flags) { (void)flags; return load(&rsmi, "FAKE_ROCM_SMI_SCRIPT"); }
int rsmi_shut_down(void) { return 0; }
int rsmi_num_monitor_devices(unsigned *count) { *count = rsmi.device_count; return 0; }
int rsmi_dev_name_get(unsigned i, char *name, size_t length) { snprintf(name, length, "%s", rsmi.devices[i].name); return 0; }
int rsmi_dev_unique_id_get(unsigned i, unsigned long long *id) { *id = 0xabc000ull + i; return 0; }
int rsmi_dev_energy_count_get(unsigned i, unsigned long long *counter, float *resolution, unsigned long long *stamp) {
  const struct device *d = &rsmi.devices[i];
  double t = now_s() - rsmi.start_s;
  if (!d->counter) return NOT_SUPPORTED;
  if (failing(d, t)) return UNKNOWN_ERROR;
  *counter = (unsigned long long)(energy_j(d, t) * 1e6 / RESOLUTION_UJ);
  *resolution = RESOLUTION_UJ;
  *stamp = (unsigned long long)(t * 1e9);
  return 0;
}
int rsmi_dev_power_ave_get(unsigned i, unsigned sensor, unsigned long long *microwatts) {
  const struct device *d = &rsmi.devices[i];
  (void)sensor;
  if (failing(d, now_s() - rsmi.start_s)) return UNKNOWN_ERROR;
  *microwatts = (unsigned long long)(d->power_w * 1e6 + 0.5);
  return 0;
}
