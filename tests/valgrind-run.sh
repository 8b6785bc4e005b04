#!/bin/sh
# A short default experiment, a DAG model on a roofline device with a
# generated trace, a sweep with its report, figures and merge, model/device
# listings, SAC-d trained and played, a trace file and bad inputs under
# valgrind: no invalid access, no definite or indirect leak.  Usage: valgrind-run.sh EDGECUT SRCDIR
set -eu
edgecut=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vg="valgrind --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect -q"
$vg "$edgecut" run "$src/configs/default.ini" --set frames=300 --db "$tmp/v.db" -q
$vg "$edgecut" plot "$tmp/v.db" --out "$tmp/figs" regret >/dev/null
printf '[General]\nframes = 200\nfps = 2\nmodel = tinyyolov3\ndevice = jetson-nano\nedge = edge-gpu\nuplink.gen = markov\nlearner = mulinucb\n' > "$tmp/dag.ini"
$vg "$edgecut" run "$tmp/dag.ini" --db "$tmp/d.db" -q
$vg "$edgecut" run "$src/configs/examples/shared-edge.ini" --set frames=20 --db "$tmp/w.db" -q
printf '[General]\nframes = 40\nfps = 4\nmodel = alexnet-branchy\ndevice = rpi4\nactions.bits = 32, 8\ngroups = a\ngroup.a.count = 3\nedge.discipline = batch\nedge.batch_ms = 5\nuplink.rate_mbps = 8\nlearner = random\n' > "$tmp/batch.ini"
$vg "$edgecut" run "$tmp/batch.ini" --db "$tmp/b2.db" -q
# SAC-d trained on a congested uplink (frames pile up: the frame pool grows
# while frames are in flight), its checkpoint written, then played greedily
printf '[General]\nframes = 150\nfps = 50\nmodel = alexnet-branchy\ndevice = rpi4\nactions.bits = 32, 8\nuplink.rate_mbps = 2\nlearner = sacd\nsacd.warmup = 40\nsacd.batch = 8\nsacd.hidden = 8\nsacd.checkpoint = ck-{device}.txt\n[Config play]\nseed = 5\nsacd.train = off\n' > "$tmp/sacd.ini"
$vg "$edgecut" run "$tmp/sacd.ini" -c General,play --db "$tmp/sacd.db" -q
$vg "$edgecut" model show alexnet-branchy --device rpi3-edgent --exit 0 >/dev/null
$vg "$edgecut" models >/dev/null
$vg "$edgecut" devices >/dev/null
$vg "$edgecut" trace info "$src/traces/lte-uplink.trace" >/dev/null
for bad in "model show $src/tests/fixtures/models/bad/unknown_type.model" \
           "model show alexnet --device $src/tests/fixtures/devices/bad/no-tag.device" \
           "trace info $src/tests/fixtures/traces/bad/csv_nan.csv"; do
  status=0
  $vg "$edgecut" $bad 2>/dev/null >/dev/null || status=$?
  [ "$status" -eq 2 ] || { echo "$bad: exit $status, expected 2"; exit 1; }
done
# a sweep of two configs with named axes and replicates: -j 2, resume, a
# changed run refused, report, every figure, merge, list
printf '[General]\nframes = 40\nfps = ${rate=0.5, 1}\nrepeat = 2\nuplink.trace = %s/traces/lte-uplink.trace\nuplink.start_s = random\nlearner = ${edge-only, random}\nfixed.cut = ${0, 1 ! learner}\n[Config b]\nuplink.scale = 0.5\n' "$src" > "$tmp/s.ini"
$vg "$edgecut" run "$tmp/s.ini" -c General,b -j 2 --db "$tmp/s.db" -q
$vg "$edgecut" run "$tmp/s.ini" -c General,b --db "$tmp/s.db" >/dev/null 2>&1
status=0
$vg "$edgecut" run "$tmp/s.ini" -c b --set frames=50 --db "$tmp/s.db" 2>/dev/null || status=$?
[ "$status" -eq 2 ] || { echo "changed run: exit $status, expected 2"; exit 1; }
$vg "$edgecut" report "$tmp/s.db" --format markdown >/dev/null 2>&1
$vg "$edgecut" plot "$tmp/s.db" --out "$tmp/sf" --format png,svg >/dev/null
$vg "$edgecut" plot "$tmp/s.db" --list >/dev/null
$vg "$edgecut" merge "$tmp/m.db" "$tmp/s.db" >/dev/null
status=0
$vg "$edgecut" merge "$tmp/m.db" "$tmp/v.db" >/dev/null 2>&1 || status=$?
[ "$status" -eq 2 ] || { echo "conflicting merge: exit $status, expected 2"; exit 1; }
$vg "$edgecut" list "$tmp/s.ini" -c General,b >/dev/null
printf '[General]\nframes = 10\nlerner = x\n' > "$tmp/bad.ini"
status=0
$vg "$edgecut" run "$tmp/bad.ini" --db "$tmp/b.db" 2>/dev/null || status=$?
[ "$status" -eq 2 ] || { echo "bad config: exit $status, expected 2"; exit 1; }
echo "valgrind: clean"
