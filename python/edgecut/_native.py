"""The C side, through cffi in ABI mode: libedgecut-python.so (which links
libedgecut.so).  The declarations below mirror learners/learner.h,
learners/python.h, sim/engine/step.h and python/native/ecpy.h; a layout
check against the library (``ecpy_layout``) runs at import, so that a struct
changed in C without its mirror here fails loudly instead of reading garbage.

The library is looked for in, first found: ``$EDGECUT_LIBDIR``, the folder
named in ``_libdir.txt`` beside this file (written by ``make python``), then
``build/python`` of the source tree this package sits in.
"""
import os

import cffi

CDEF = r"""
typedef struct { int code; char msg[1024]; } ec_diag;

typedef struct {
    double up_bps; double down_bps; double up_latency_s; double down_latency_s;
} ec_link_report;

typedef struct {
    int64_t frame; int64_t t_ns; int keyframe; const double *front_s; double load;
    double tput_bps; const double *tput_hist; size_t n_tput; ec_link_report link;
    double last_delay_s; double deadline_s; const double *truth_s;
} ec_observation;

typedef struct {
    double delay_s; double front_s; double offload_s; double tput_bps; double accuracy;
    double energy_j; int deadline_met;
} ec_feedback;

typedef struct {
    int exit; int cut; int bits; int offloads; double front_s; double bytes;
    double accuracy; const double *x; double result_bytes;
} ec_action_info;

/* the first members of ec_learner_setup (read through a pointer only) */
typedef struct {
    const char *name; int device; const char *kind; size_t n_actions;
    const ec_action_info *actions; size_t dim; const double *x;
} ec_learner_setup_head;

typedef struct {
    int32_t device; int32_t action; int64_t frame; int64_t t_ns; int64_t done_ns;
    double delay_s; double front_s; double offload_s; double tput_bps; double accuracy;
    double energy_j; int32_t deadline_met; int32_t keyframe; double deadline_s;
    double regret_s;
} ec_step_result;

typedef struct {
    int (*init)(const ec_learner_setup_head *setup, void *token, void **handle, ec_diag *d);
    int (*choose)(void *handle, const ec_observation *obs, size_t *action, ec_diag *d);
    int (*feedback)(void *handle, const ec_observation *obs, size_t action,
                    const ec_feedback *fb, ec_diag *d);
    int (*on_timer)(void *handle, int64_t now_ns, int tag, ec_diag *d);
    void (*free)(void *handle);
} ec_python_hooks;

void ec_python_set_hooks(const ec_python_hooks *h);
int ec_python_fail(ec_diag *d, const char *msg);
int64_t ec_python_now(void *token);
int ec_python_timer(void *token, int64_t at_ns, int tag);

typedef struct ecpy_world ecpy_world;
typedef struct ec_scenario ec_scenario;
int ecpy_world_new(const char *config, const char *section, long run, const char *const *sets,
                   size_t n_sets, ecpy_world **out, ec_diag *d);
void ecpy_world_free(ecpy_world *w);
const ec_scenario *ecpy_world_scenario(const ecpy_world *w);
uint64_t ecpy_world_seed(const ecpy_world *w);
size_t ecpy_world_n_runs(const ecpy_world *w);
const char *ecpy_world_name(const ecpy_world *w);
size_t ecpy_world_n_devices(const ecpy_world *w);
const char *ecpy_world_learner(const ecpy_world *w, size_t k);
const char *ecpy_world_group(const ecpy_world *w, size_t k);
int ecpy_cli(int argc, char **argv);
long ecpy_layout(int which, int field);

typedef struct ec_simstep ec_simstep;
int ec_simstep_new(const ec_scenario *s, uint64_t seed, const unsigned char *ext,
                   ec_simstep **out, ec_diag *d);
int ec_simstep_advance(ec_simstep *st, ec_diag *d);
size_t ec_simstep_n_pending(const ec_simstep *st);
int ec_simstep_over(const ec_simstep *st);
const ec_observation *ec_simstep_pending(const ec_simstep *st, size_t i, size_t *device);
void ec_simstep_fill(const ec_simstep *st, size_t width, int32_t *device, int64_t *frame_no,
                     int64_t *t_ns, int32_t *keyframe, double *load, double *deadline_s,
                     double *last_delay_s, double *tput_bps, double *front_s,
                     double *tput_hist, int32_t *n_tput, double *link);
int ec_simstep_decide(ec_simstep *st, const int64_t *actions, ec_diag *d);
size_t ec_simstep_results(const ec_simstep *st, const ec_step_result **r);
void ec_simstep_results_clear(ec_simstep *st);
size_t ec_simstep_n_devices(const ec_simstep *st);
int ec_simstep_external(const ec_simstep *st, size_t k);
size_t ec_simstep_n_actions(const ec_simstep *st, size_t k);
const ec_action_info *ec_simstep_actions(const ec_simstep *st, size_t k);
size_t ec_simstep_dim(const ec_simstep *st, size_t k);
size_t ec_simstep_frames_done(const ec_simstep *st);
int64_t ec_simstep_now_ns(const ec_simstep *st);
uint64_t ec_simstep_fingerprint(const ec_simstep *st);
void ec_simstep_free(ec_simstep *st);
"""

#: Bytes of ``ec_diag.msg``; longer messages keep their head and tail.
EC_TPUT_HISTORY = 16

# status codes of sim/base/diag.h that the package names
EC_OK = 0

ffi = cffi.FFI()
ffi.cdef(CDEF)

_here = os.path.dirname(os.path.abspath(__file__))


def _candidates():
    env = os.environ.get("EDGECUT_LIBDIR")
    if env:
        yield env
    txt = os.path.join(_here, "_libdir.txt")
    if os.path.exists(txt):
        with open(txt) as f:
            yield f.read().strip()
    yield os.path.join(os.path.dirname(os.path.dirname(_here)), "build", "python")


def _open():
    tried = []
    for d in _candidates():
        path = os.path.join(d, "libedgecut-python.so")
        tried.append(path)
        if os.path.exists(path):
            return ffi.dlopen(path), path
    raise ImportError("edgecut: libedgecut-python.so not found (tried %s); build it with "
                      "`make python` or set EDGECUT_LIBDIR" % ", ".join(tried))


lib, LIBPATH = _open()

# the layout check: (ecpy_layout index, cffi type, members in declaration order)
_LAYOUTS = [
    (0, "ec_observation", ["frame", "t_ns", "keyframe", "front_s", "load", "tput_bps",
                           "tput_hist", "n_tput", "link", "last_delay_s", "deadline_s",
                           "truth_s"]),
    (1, "ec_feedback", ["delay_s", "front_s", "offload_s", "tput_bps", "accuracy",
                        "energy_j", "deadline_met"]),
    (2, "ec_action_info", ["exit", "cut", "bits", "offloads", "front_s", "bytes", "accuracy",
                           "x", "result_bytes"]),
    (3, "ec_learner_setup_head", ["name", "device", "kind", "n_actions", "actions", "dim",
                                  "x"]),
    (4, "ec_step_result", ["device", "action", "frame", "t_ns", "done_ns", "delay_s",
                           "front_s", "offload_s", "tput_bps", "accuracy", "energy_j",
                           "deadline_met", "keyframe", "deadline_s", "regret_s"]),
    (5, "ec_link_report", ["up_bps", "down_bps", "up_latency_s", "down_latency_s"]),
]


def check_layout():
    """Compare every declared struct with the library's; raise ImportError on
    a difference."""
    for which, name, fields in _LAYOUTS:
        size = lib.ecpy_layout(which, -1)
        if which != 3 and size != ffi.sizeof(name):
            raise ImportError("edgecut: %s is %d bytes in C, %d as declared in _native.py"
                              % (name, size, ffi.sizeof(name)))
        for i, f in enumerate(fields):
            off = lib.ecpy_layout(which, i)
            if off != ffi.offsetof(name, f):
                raise ImportError("edgecut: %s.%s is at offset %d in C, %d as declared in "
                                  "_native.py" % (name, f, off, ffi.offsetof(name, f)))


check_layout()


def diag():
    """A fresh ec_diag."""
    return ffi.new("ec_diag *")


def message(d):
    """The message an ec_diag holds, as text."""
    return ffi.string(d.msg).decode("utf-8", "replace")
