// The Discord stand-in lives in standins/ so the benchmarks can drive it too.
export * from '../../standins/discord.ts';
