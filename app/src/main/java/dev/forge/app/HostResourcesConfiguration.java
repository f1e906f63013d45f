package dev.forge.app;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import dev.forge.activities.workspace.DiskQuotaMode;
import dev.forge.activities.workspace.QuotaReservations;
import dev.forge.api.policy.HostResources;
import dev.forge.worker.WorkerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tells the API's policy what the host has: CPUs and memory from the Docker engine (asked once,
 * when first needed), and the work trees' disk with what quota images have promised (measured at
 * every start).
 */
@Configuration(proxyBeanMethods = false)
class HostResourcesConfiguration {

  @Bean
  HostResources hostResources(DockerClient docker, WorkerProperties worker) {
    return new HostResources() {
      private volatile Info info;

      @Override
      public int cpus() {
        Integer cpus = info().getNCPU();
        return cpus == null ? Runtime.getRuntime().availableProcessors() : cpus;
      }

      @Override
      public long memoryBytes() {
        Long memory = info().getMemTotal();
        return memory == null ? Runtime.getRuntime().maxMemory() : memory;
      }

      @Override
      public Disk worktreeDisk() {
        if (worker.diskQuota() == DiskQuotaMode.OFF) {
          return null;
        }
        QuotaReservations.Disk disk = QuotaReservations.measure(worker.worktreesDir());
        return new Disk(disk.usableBytes(), disk.unwrittenBytes());
      }

      private Info info() {
        Info known = info;
        if (known == null) {
          known = docker.infoCmd().exec();
          info = known;
        }
        return known;
      }
    };
  }
}
