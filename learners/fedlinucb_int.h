/* fedlinucb_int: what FedLinUCB-DW's device side (fedlinucb.c) and its
 * coordinator on the edge (fedcoord.c) share: the message format and the
 * units statistics travel in (learners/README.md, FedLinUCB-DW).
 *
 * A message is a fed_header and then d² doubles of A and d of b, row-major,
 * in the features' own units (MACs, elements, layers, bits: each device
 * divides its features by its own divisors and multiplies them back before
 * sending), so that the devices of a pool add up quantities of one unit
 * whatever their models.  An upload carries a device's increments ΔA, Δb;
 * a broadcast the pool's merged statistics. */
#ifndef EC_FEDLINUCB_INT_H
#define EC_FEDLINUCB_INT_H

#include "learners/learner.h"

#include <stddef.h>
#include <stdint.h>

#define EC_FED_MAGIC 0x46454432u  /* "FED2": statistics in the features' own units */
#define EC_FED_MAX_DIM 4096       /* the largest dimension a coordinator accepts */

/* A message's header (16 bytes). */
typedef struct ec_fed_header {
    uint32_t magic;   /* EC_FED_MAGIC */
    uint32_t seq;     /* upload: its number on its device (from 1); broadcast: the
                         receiver's last upload merged into it (0: none yet) */
    uint32_t d;       /* dimension */
    uint32_t pad;     /* 0 */
} ec_fed_header;

/* Bytes of a message of dimension d: the header and d² + d doubles. */
static inline size_t ec_fed_msg_bytes(size_t d)
{
    return sizeof(ec_fed_header) + (d * d + d) * sizeof(double);
}

/* The words of fedlinucb-dw.grouping: kind 0, all 1 (learners/fedlinucb.c
 * declares the parameter, the coordinator reads it). */
extern const char *const ec_fed_groupings[];

/* The coordinator of the fedlinucb-dw type (fedcoord.c). */
extern const ec_coordinator_type ec_fed_coordinator;

#endif
