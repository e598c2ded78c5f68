#!/bin/sh
# Acceptance runs on `default`: one at a time, niced.
cd /work/main
for spec in "finetune 0" "finetune 1" "finetune 2" "ewc 1" "ewc 2"; do
  set -- $spec
  echo "== $1 seed $2 load: $(cat /proc/loadavg)" >> /tmp/cl/accept.log
  /usr/bin/time -f "TIME $1 $2 wall %e s, user %U s, sys %S s" -a -o /tmp/cl/accept.log \
    nice -n 10 npm run -s cli -- run --sequence default --strategy $1 --seed $2 --json --no-record >> /tmp/cl/accept.log 2>/dev/null
done
echo DONE >> /tmp/cl/accept.log
