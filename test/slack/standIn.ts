// The Slack stand-in lives in standins/ so the benchmarks can drive it too.
export * from '../../standins/slack.ts';
