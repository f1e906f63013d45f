/* Built by SandboxLockdownIT with the host's gcc (static, so it runs in any image) and run inside
 * a sandbox: every line must report a refusal. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

static int report(const char *what, int result) {
  printf("%s %s\n", what, result < 0 ? strerror(errno) : "ALLOWED");
  return result < 0 ? 0 : 1;
}

int main(void) {
  int allowed = 0;
  allowed += report("raw-ip-socket", socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
  allowed += report("packet-socket", socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)));
  allowed += report("user-namespace", unshare(CLONE_NEWUSER));
  allowed += report("mount-namespace", unshare(CLONE_NEWNS));
  allowed += report("mount-tmpfs", mount("none", "/mnt", "tmpfs", 0, ""));
  allowed += report("chroot", chroot("/tmp"));
  return allowed;
}
