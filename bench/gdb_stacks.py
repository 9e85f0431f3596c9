# Open a gateway (a build with symbols) holding streams in gdb and list its goroutines by start function and
# stack size: gdb -p PID -batch -x bench/gdb_stacks.py. Heap profiles do not show stacks; this does.
import gdb
from collections import defaultdict
allgs = gdb.parse_and_eval("'runtime.allgs'")
n = int(allgs['len']); arr = allgs['array']
names = {}
agg = defaultdict(lambda: [0, 0, 0])
for i in range(n):
    g = arr[i]
    if int(g['atomicstatus']['value']) == 6:
        continue
    st = g['stack']; hi = int(st['hi']); size = hi - int(st['lo'])
    used = hi - int(g['sched']['sp'])
    pc = int(g['startpc'])
    if pc not in names:
        names[pc] = gdb.execute("info symbol %d" % pc, to_string=True).split(' in section')[0].strip()
    a = agg[(names[pc], size)]
    a[0] += 1; a[1] += size; a[2] += used
tot = 0
for (name, size), (k, s, u) in sorted(agg.items(), key=lambda x: -x[1][1]):
    tot += s
    print("%6d x %6d B  (avg used %6d)  %s" % (k, size, u // k, name))
print("total stack bytes", tot)
