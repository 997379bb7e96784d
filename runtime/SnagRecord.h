//===- SnagRecord.h - The report file format of libsnag_rt.so --------------===//
//
// The one contract between the preloaded runtime and the collector in
// `snag run`: each analysed process writes one text file, one record a line,
// fields separated by tabs. Nothing else in runtime/ is visible to tool/.
//
//   snag-rt <version> <pid> <ppid> <exe>       first line of every file
//   module <bias> <path> <lo>-<hi>[,<lo>-<hi>]  a loaded ELF object: its load
//                                              bias and its PT_LOAD ranges
//                                              (absolute, hex); written again
//                                              whenever dlopen changes them
//   finding <rule>                             starts a finding
//   message <text>                             what happens at run time; {Ln}
//                                              names lock n, {Tn} thread n
//   lock <n> <address>                         a lock the finding is about
//   stack <title> <pc> <pc> ...                a stack, innermost frame first;
//                                              the first stack is the primary
//   end                                        the finding is complete
//   ended <how>                                snag ended the process
//   exec <path> preload|no-preload             the process calls exec; the
//                                              new program should write its
//                                              own file (same pid, next n)
//   exec-failed                                that exec returned
//   passive                                    the program is in ignore_exe
//   profile                                    the contention profile follows
//                                              (profile option; at exit or exec)
//   plock <n> <address> <acquired> <contended> <wait-total> <wait-max>
//         <hold-total> <hold-max>              one lock's counts; times in ns
//   psite <n> <address> <pc> <waits> <wait-total> <wait-max>
//                                              a call site (the return address
//                                              of the lock call) that waited
//   pother <locks> <acquired> <hold-total> <hold-max>
//                                              locks gone before the end that
//                                              never had to wait, summed
//
// Every analysed process creates its file when the runtime starts, so a
// program that wrote nothing was never observed.
//
// The lines of a finding come in any order between `finding` and `end`.
// A finding without its `end` line was cut short by a kill and is still
// reported, marked as such. Addresses are hex without a 0x prefix.
//
//===----------------------------------------------------------------------===//
#ifndef SNAG_RUNTIME_SNAGRECORD_H
#define SNAG_RUNTIME_SNAGRECORD_H

#define SNAG_RECORD_VERSION 1
#define SNAG_RECORD_MAGIC "snag-rt"
/// Each process writes <report dir>/<SNAG_RECORD_PREFIX><pid>.<n>.
#define SNAG_RECORD_PREFIX "snag-rt."
/// The environment variable that carries SNAG_OPTIONS.
#define SNAG_OPTIONS_ENV "SNAG_OPTIONS"

#endif
