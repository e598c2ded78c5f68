#!/bin/sh
# The other strategies on `default`, seed 0, one at a time, niced (after the acceptance runs).
cd /work/main
while ! grep -q DONE /tmp/cl/accept.log; do sleep 10; done
for spec in "l2 0" "mas 0" "si 0" "replay 0" "ewc-replay 0" "multitask 0"; do
  set -- $spec
  echo "== $1 seed $2 load: $(cat /proc/loadavg)" >> /tmp/cl/others.log
  /usr/bin/time -f "TIME $1 $2 wall %e s, user %U s, sys %S s" -a -o /tmp/cl/others.log \
    nice -n 10 npm run -s cli -- run --sequence default --strategy $1 --seed $2 --json --no-record >> /tmp/cl/others.log 2>/dev/null
done
echo DONE >> /tmp/cl/others.log
