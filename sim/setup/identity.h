/* identity: what makes two runs of one name the same run.
 *
 * A run is the same run only if everything its results depend on is the
 * same: its fully expanded config, the bytes of every input file a config
 * value names, its seed and the edgecut version.  The identity is that
 * list of entries, sorted by name:
 *   version    the edgecut version (EC_VERSION)
 *   build      the code that ran: the XXH64 of the binary that holds this
 *              library (libedgecut.so, or the program it is linked into),
 *              so that a rebuilt learner or engine is another run, whatever
 *              its version string says (ec_build_id)
 *   seed       the run seed (seed + replicate), decimal
 *   KEY        every config key of the run but 'seed' and 'repeat' (repeat
 *              only says how many replicates there are; it changes no run),
 *              with its value; a value naming a readable file is replaced by
 *              "xxh64:HEX", the XXH64 of the file's bytes, so that the same
 *              file reached by another path is the same input and an edited
 *              file is another.
 * A learner's path parameter (type EC_PARAM_PATH in learners/param.h;
 * today sacd.checkpoint) is such a value: sim/setup/keys.c classifies it as
 * a path, so the config resolves it against the folder of its file and the
 * identity holds the file's hash (the resolved path while no file is
 * there), but only when a device of the run reads it: a device of a group
 * whose learner has that parameter (and, for the plain key, that does not
 * set its own group.G.KEY); otherwise the value as it is (a sweep over
 * learners does not make its Edgent runs depend on SAC-d's checkpoint).
 * A value with placeholders ({group}, {device}, {replicate}, {seed};
 * learners/param.h) names one file per device that reads it: the entry is
 * then "xxh64:" and the XXH64 over "K=HEX\n" for each such device K in run
 * order (HEX its file's hash, "-" when it cannot be read), or the value as
 * written while none of them can be read.
 * Every learner path is one the learner reads (EC_PATH_READS,
 * checked by tests/test_learners.c): its bytes decide the results, so they
 * are an input like a trace.  A file a learner also writes (sacd.checkpoint
 * with sacd.train = on, written when the run ends) enters with the bytes it
 * has when the identity is taken, and sim/store/run.c takes it once the run
 * has finished: a stored run's identity holds the checkpoint the run
 * wrote, so a resume skips the run while the file is what the run left and
 * reruns it (from that file) when the file was replaced or edited; runs
 * that share one checkpoint path overwrite each other's, and all but the
 * last then differ.
 * Its hash is XXH64 over "name=value\n" of every entry in that order, as 16
 * lowercase hex digits; a finished run stores it as the runAttr `identity`
 * (and the file hashes as `KEY.hash`, the version as `version`), and the
 * store rebuilds the identity of a stored run from its rows, also for runs
 * written before the attribute existed. */
#ifndef EC_IDENTITY_H
#define EC_IDENTITY_H

#include "sim/setup/runcfg.h"
#include "sim/base/diag.h"
#include "sim/base/kv.h"

#include <stddef.h>
#include <stdint.h>

/* Prefix of a value that stands for a file's content. */
#define EC_IDENTITY_FILE "xxh64:"

/* A run's identity. */
typedef struct ec_identity {
    ec_kv *kv;      /* [n] entries sorted by key (strcmp); strings owned */
    size_t n;       /* number of entries */
    char hex[17];   /* XXH64 of the entries, 16 lowercase hex digits */
} ec_identity;

/* The identity of run rc into *out (free with ec_identity_free): reads
 * every file a config value names (files read before in this process, with
 * the same size, modification time and inode, are not read again).  A file
 * that cannot be read keeps its path as the value.  Errors: EC_ENOMEM. */
int ec_identity_of_run(const ec_runcfg *rc, ec_identity *out, ec_diag *d);

/* Building an identity from other sources (the store's rows): append
 * (key, value), both copied (EC_OK or EC_ENOMEM); whether a config key is
 * left out of identities (1 for 'seed' and 'repeat': the seed enters as
 * the run seed); sort the entries and hash them into hex. */
int ec_identity_add(ec_identity *id, const char *key, const char *value);
int ec_identity_left_out(const char *key);
void ec_identity_seal(ec_identity *id);

/* The build id: the XXH64 of the file this code was loaded from (the
 * shared library or the program), 16 hex digits, computed once; "unknown"
 * when it cannot be read. */
const char *ec_build_id(void);

/* Free the entries of id (not id itself); id may hold nothing. */
void ec_identity_free(ec_identity *id);

/* The entries in which a (old) and b (new) differ, into buf (size n, always
 * NUL-terminated): "KEY: A -> B" for each, "; "-separated, a key only in a
 * as "KEY: A -> (unset)" and only in b as "KEY: (unset) -> B", at most `most`
 * entries then "; and K more".  Returns the number of differing entries. */
size_t ec_identity_diff(const ec_identity *a, const ec_identity *b, size_t most, char *buf,
                        size_t n);

/* XXH64 of the bytes of the file at path as 16 lowercase hex digits into
 * hex (size >= 17): 1, or 0 with hex = "" when it cannot be read. */
int ec_hash_file(const char *path, char *hex, size_t n);

#endif
