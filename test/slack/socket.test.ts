import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../adapters/slack/blocks.ts';
import { type Harness, startHarness } from './harness.ts';
import { APP_TOKEN, slashCommand, TEAM, waitFor } from './standIn.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('socket');
});
afterAll(async () => {
  await h.close();
});

describe('Socket Mode with the real Bolt App', () => {
  it('connects with the app token and says it is connected', () => {
    const open = h.slack.callsOf('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toBe(APP_TOKEN);
    expect(h.slack.callsOf('auth.test')).toHaveLength(1);
    expect(h.adapter.isConnected()).toBe(true);
  });

  it('acks /news samsung over the socket, then answers through response_url', async () => {
    const responseUrl = h.slack.responseUrl();
    const ack = await h.slack.sendEnvelope('slash_commands', slashCommand({ text: 'samsung', responseUrl }));
    expect(ack.envelope_id).toBeTruthy();
    await waitFor(() => h.slack.responsesTo(responseUrl).length > 0);
    const answer = h.slack.responsesTo(responseUrl)[0]?.body as { text: string; blocks: Block[] };
    expect(answer.text).toBe('Results for "samsung"');
    expect(JSON.stringify(answer.blocks)).toMatch(/<https?:\/\//);
  });

  it('publishes the Home tab with the person’s topics, remove buttons and the latest digest', async () => {
    await h.app.engine.handle({
      platform: 'slack',
      workspace: TEAM,
      channel: null,
      user: 'U0KO',
      isManager: true,
      command: { kind: 'subscribe', topic: 'nvidia' },
    });
    // a channel of this workspace with a digest, and one of another workspace that must not show
    const manager = { platform: 'slack', user: 'U0ADMIN', isManager: true } as const;
    await h.app.engine.handle({
      ...manager,
      workspace: TEAM,
      channel: 'C0NEWS',
      text: 'time 08:30 Asia/Seoul weekdays',
    });
    await h.app.engine.handle({ ...manager, workspace: TEAM, channel: 'C0NEWS', text: 'subscribe samsung' });
    await h.app.engine.handle({ ...manager, workspace: 'T0OTHER', channel: 'C0ELSE', text: 'time 07:00' });
    await h.slack.sendEnvelope('events_api', {
      team_id: TEAM,
      api_app_id: 'A0TEST',
      type: 'event_callback',
      event_id: 'Ev1',
      event_time: 1,
      event: { type: 'app_home_opened', user: 'U0KO', channel: 'D0KO', tab: 'home', event_ts: '1.0' },
    });
    await waitFor(() => h.slack.callsOf('views.publish').length > 0);
    const call = h.slack.callsOf('views.publish')[0];
    expect(call?.args.user_id).toBe('U0KO');
    const view = call?.args.view as { type: string; blocks: Block[] };
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(view.blocks);
    // in the person's language (their Slack locale is Korean)
    expect(text).toContain('내 토픽');
    expect(text).toContain('엔비디아');
    const remove = view.blocks.find((b) => b.type === 'section' && b.accessory?.value === 'nvidia');
    expect(remove?.type === 'section' && remove.accessory?.text.text).toBe('삭제');
    expect(text).toContain('최신 다이제스트');
    expect(text).toContain('<#C0NEWS> 평일 08:30 Asia/Seoul: 삼성전자');
    expect(text).not.toContain('C0ELSE');

    // pressing Remove unsubscribes and publishes the tab again
    await h.slack.sendEnvelope('interactive', {
      type: 'block_actions',
      team: { id: TEAM, domain: 'test' },
      user: { id: 'U0KO', team_id: TEAM },
      api_app_id: 'A0TEST',
      container: { type: 'view', view_id: 'V1' },
      trigger_id: '1.2.3',
      view: { id: 'V1', type: 'home' },
      actions: [
        {
          type: 'button',
          action_id: 'news_home_unsubscribe',
          block_id: 'b1',
          value: 'nvidia',
          text: { type: 'plain_text', text: '삭제' },
          action_ts: '1.0',
        },
      ],
    });
    await waitFor(() => h.slack.callsOf('views.publish').length > 1);
    const again = JSON.stringify(h.slack.callsOf('views.publish')[1]?.args.view);
    expect(again).not.toContain('"value":"nvidia"');
    expect(h.app.store.subscriptions.list('slack:user:U0KO')).toEqual([]);
  });

  it('stops: the socket closes', async () => {
    expect(h.slack.socketClients).toBe(1);
    await h.adapter.stop();
    await waitFor(() => h.slack.socketClients === 0, 3000, 'the socket to close');
    expect(h.adapter.isConnected()).toBe(false);
  });
});
