/**
 * A plan of two boards (an LED board tagged led, an office screen tagged office), two slogans
 * and a playlist for each board's tag on Đợt I (2030-01-01..10): what the player and proof-of-play
 * tests pair boards against.
 */
export function twoBoardPlan(id: string) {
  return {
    format: 'bangtin-plan/1',
    plan: { id, title: 'Kiểm thử', timeZone: 'Asia/Ho_Chi_Minh' },
    phases: [{ id: 'dot-1', name: 'Đợt I', from: '2030-01-01', to: '2030-01-10' }],
    boards: [
      { id: 'led', name: 'Cửa khẩu', width: 384, height: 128, tags: ['led'] },
      { id: 'office', name: 'Trụ sở', width: 1920, height: 1080, tags: ['office'] },
    ],
    content: [
      {
        id: 's1',
        kind: 'slogan',
        text: 'ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM',
        durationSec: 10,
      },
      { id: 's2', kind: 'slogan', text: 'MỪNG ĐẢNG, MỪNG XUÂN', durationSec: 20 },
    ],
    playlists: [
      { id: 'p-led', name: 'LED', items: ['s1', 's2'] },
      { id: 'p-office', name: 'Office', items: ['s2'] },
    ],
    schedules: [
      { id: 'sc-led', playlist: 'p-led', phase: 'dot-1', boards: { tags: ['led'] } },
      { id: 'sc-office', playlist: 'p-office', phase: 'dot-1', boards: { tags: ['office'] } },
    ],
    announcements: [],
  };
}
