# Read by CMake when highs-sys builds HiGHS from source (the `cmake` crate passes the file named
# by CMAKE_TOOLCHAIN_FILE, which .cargo/config.toml sets for this workspace).
#
# A unity build compiles HiGHS's C++ files in batches of eight instead of one by one, so each
# batch parses the shared headers once. HiGHS's build was the longest step of a fresh-clone CI
# run (541 s of 661 s of compiling, docs/testing.md); as a unity build it took 244 s alone on the
# 2-core machine. Optimisation is unchanged (Release, -O3), and the sources are the same.
set(CMAKE_UNITY_BUILD ON CACHE BOOL "Build HiGHS as a unity build" FORCE)
