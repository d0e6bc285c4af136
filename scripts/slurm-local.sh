#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, to try `spramnet campaign run --executor slurm` and for
# the tests that submit through real sbatch arrays. Needs root (munged, slurmctld and slurmd run as
# root) and Debian's slurm-wlm and munge (installed when missing).
#   scripts/slurm-local.sh start    install if needed, write /etc/slurm/slurm.conf, start the daemons, wait for the node
#   scripts/slurm-local.sh status   sinfo
#   scripts/slurm-local.sh stop     stop the daemons
# Settings that work on this machine kind: ProctrackType=proctrack/linuxproc, TaskPlugin=task/none
# (no cgroups in the sandbox), SelectType=select/cons_tres (cores as consumable), SlurmUser=root,
# accounting off (sacct then answers nothing: the driver relies on squeue and the shards).
set -euo pipefail
cmd=${1:-start}
conf=/etc/slurm/slurm.conf
state=/var/spool/slurmctld
node=$(hostname -s)

install() {
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
  fi
}

write_conf() {
  local cpus mem
  cpus=$(nproc)
  mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
  mkdir -p /etc/slurm "$state" /var/spool/slurmd /var/log/slurm /run/munge /var/lib/munge /var/log/munge /etc/munge
  cat > "$conf" <<CONF
ClusterName=spramnet-local
SlurmctldHost=${node}
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=${state}
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MinJobAge=30
MaxArraySize=100001
MaxJobCount=200000
KillWait=5
InactiveLimit=0
NodeName=${node} CPUs=${cpus} RealMemory=${mem} State=UNKNOWN
PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
}

start() {
  install
  write_conf
  if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
  fi
  chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge 2>/dev/null || true
  chmod 0700 /etc/munge /var/lib/munge /var/log/munge
  chmod 0400 /etc/munge/munge.key
  pgrep -x munged >/dev/null || su -s /bin/sh munge -c '/usr/sbin/munged' 2>/dev/null || /usr/sbin/munged --force
  pgrep -x slurmctld >/dev/null || /usr/sbin/slurmctld
  pgrep -x slurmd >/dev/null || /usr/sbin/slurmd
  for _ in $(seq 1 60); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
      sinfo
      return 0
    fi
    scontrol update NodeName="${node}" State=RESUME >/dev/null 2>&1 || true
    sleep 1
  done
  echo "error: the Slurm node did not come up; see /var/log/slurm/slurmctld.log and slurmd.log" >&2
  sinfo >&2 || true
  return 1
}

stop() {
  pkill -x slurmd || true
  pkill -x slurmctld || true
  pkill -x munged || true
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) sinfo ;;
  *) echo "usage: $0 start|status|stop" >&2; exit 2 ;;
esac
