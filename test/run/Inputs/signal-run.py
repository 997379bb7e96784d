"""Runs `snag run -- PROGRAM` and does to it what a CI runner or a pipe does.

Usage: signal-run.py MODE SNAG PROGRAM TMPDIR
  TERM, HUP, INT  wait for the program's "ready <pid>", send the signal to
                  snag run alone (as kill(1) or a CI timeout does)
  PIPE            close snag run's stderr before it writes its report
Prints what happened: snag's exit status, whether the program is gone, and
whether the report folder was removed.
"""
import os
import signal
import subprocess
import sys
import time

mode, snag, program, tmpdir = sys.argv[1:5]
env = dict(os.environ, TMPDIR=tmpdir)
if mode == "PIPE":
    proc = subprocess.Popen([snag, "run", "--", program], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)
    proc.stderr.close()
    status = proc.wait(timeout=60)
    print(f"snag exit {status}")
else:
    proc = subprocess.Popen([snag, "run", "--", program], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env, text=True)
    line = proc.stdout.readline()
    pid = int(line.split()[1])
    proc.send_signal(getattr(signal, "SIG" + mode))
    out, _ = proc.communicate(timeout=60)
    sys.stdout.write(out)
    print(f"snag exit {proc.returncode}")
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            print("program gone")
            break
        time.sleep(0.1)
    else:
        print("program still running")
        os.kill(pid, signal.SIGKILL)
left = os.listdir(tmpdir)
print("report folder removed" if not left else f"left behind: {left}")
