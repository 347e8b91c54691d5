// Text helpers shared by the controller and the dashboard.

/** Text folded for searching: no case, no diacritics, one Unicode form (`đảng` matches `DANG`). */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
}
