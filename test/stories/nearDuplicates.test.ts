import { describe, expect, it } from 'vitest';
import { groupNearDuplicates } from '../../src/stories/nearDuplicates.ts';

const wire = [
  '[서울=한빛통신] 김하늘 기자 = 삼성전자가 메타와 손잡고 차세대 확장현실(XR) 헤드셋을 내년 상반기에 내놓는다.',
  '두 회사는 26일 서울 서초구 삼성전자 사옥에서 공동 개발 계약을 맺었다고 밝혔다.',
  '헤드셋에는 삼성전자의 마이크로 OLED 디스플레이와 메타의 운영체제가 들어간다.',
  '업계는 애플 비전 프로와의 경쟁이 본격화할 것으로 보고 있다.',
  '삼성전자 관계자는 "XR 생태계를 함께 키우겠다"고 말했다.',
].join('\n');

describe('groupNearDuplicates', () => {
  it('groups a wire story with a portal copy that cut its ending and added a header', () => {
    const items = [
      { id: 1, title: '삼성·메타, XR 헤드셋 공동 개발', body: wire },
      {
        id: 2,
        title: '[누리뉴스 제휴] 삼성·메타 XR',
        body: `[누리뉴스 제휴 기사]\n${wire.split('\n').slice(0, 4).join('\n')}`,
      },
      {
        id: 3,
        title: 'LG전자, 새 OLED TV',
        body: 'LG전자가 새 OLED TV를 공개했다. 화면 밝기를 높이고 가격은 낮췄다고 회사는 설명했다. '.repeat(3),
      },
    ];
    const groups = groupNearDuplicates(items).map((g) => g.map((i) => i.id));
    expect(groups).toEqual([[1, 2], [3]]);
  });

  it('does not group two different short teasers on the same subject', () => {
    const items = [
      { id: 1, title: 'Samsung earnings beat forecasts', body: 'Samsung posted higher profit.' },
      { id: 2, title: 'Samsung unveils XR headset', body: 'Samsung showed a headset.' },
    ];
    expect(groupNearDuplicates(items)).toHaveLength(2);
  });
});
