"""`cmake --install` gives bin/erg, the agent libraries, the header, the data, and a package
that CMake (find_package(erg)) and pkg-config consumers build against."""
import os
import textwrap

import ergtest
from ergtest import run

CONSUMER = textwrap.dedent("""
    #include <erg/erg.h>
    int main(int argc, char **argv) {
      MPI_Init(&argc, &argv);
      erg_init(MPI_COMM_WORLD);
      erg_phase_begin("train", "train");
      erg_phase_end();
      erg_finalize();
      MPI_Finalize();
      return 0;
    }
""")


class Install(ergtest.TestCase):
    def test_install_and_consume(self):
        prefix = self.path("prefix")
        result = run(["cmake", "--install", ergtest.BUILD_DIR, "--prefix", prefix])
        self.assertEqual(result.returncode, 0, result.stderr)
        for item in ["bin/erg", "lib/liberg_agent.so", "lib/liberg_pmpi.so", "include/erg/erg.h",
                     "share/erg/SOURCES.md", "share/erg/hardware/cpu_tdp_codecarbon.csv",
                     "lib/cmake/erg/ergConfig.cmake", "lib/pkgconfig/erg.pc"]:
            self.assertTrue(os.path.exists(os.path.join(prefix, item)), item)

        # The installed erg finds its installed data without being told.
        env_clean = {k: v for k, v in os.environ.items() if k != "ERG_DATA_DIR"}
        env_clean.update({"ERG_POWERCAP_ROOT": "/nonexistent"})
        import subprocess
        out = subprocess.run([os.path.join(prefix, "bin/erg"), "regions", "DEU"], env=env_clean,
                             capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("DEU", out.stdout)

        source = self.path("consumer")
        os.makedirs(source)
        with open(os.path.join(source, "main.c"), "w") as f:
            f.write(CONSUMER)
        with open(os.path.join(source, "CMakeLists.txt"), "w") as f:
            f.write("cmake_minimum_required(VERSION 3.20)\nproject(consumer C)\n"
                    "find_package(erg REQUIRED)\nadd_executable(consumer main.c)\n"
                    "target_link_libraries(consumer PRIVATE erg::agent)\n")
        build = self.path("consumer-build")
        result = run(["cmake", "-S", source, "-B", build, f"-DCMAKE_PREFIX_PATH={prefix}"])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        result = run(["cmake", "--build", build])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

        # In the sanitizer build the consumer (built without ASan) would need the ASan runtime
        # preloaded, and then deadlocks at exit in libp11-kit's destructor (an Open MPI
        # dependency): there it is built and linked, not run.
        if not ergtest.ASAN_RUNTIME:
            trace = self.path("consumer.h5")
            result = run([*ergtest.MPIRUN, "-np", "2", "-x", "ERG_OUT", "-x", "LD_LIBRARY_PATH",
                          os.path.join(build, "consumer")],
                         env={"ERG_OUT": trace, "LD_LIBRARY_PATH": os.path.join(prefix, "lib")})
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertTrue(os.path.exists(trace))

        # pkg-config
        pc_env = {"PKG_CONFIG_PATH": os.path.join(prefix, "lib/pkgconfig")}
        flags = run(["pkg-config", "--cflags", "--libs", "erg"], env=pc_env)
        self.assertEqual(flags.returncode, 0, flags.stderr)
        self.assertIn("-lerg_agent", flags.stdout)
        result = run(["sh", "-c", f"mpicc {os.path.join(source, 'main.c')} -o {self.path('pc-consumer')} "
                                  f"{flags.stdout.strip()}"])
        self.assertEqual(result.returncode, 0, result.stderr)


if __name__ == "__main__":
    ergtest.main()
