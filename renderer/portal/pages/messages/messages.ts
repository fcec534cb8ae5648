/** The messages pages' words for attachments, English and Spanish; merged into ../../i18n.tsx. */
export const attachEn = {
  'att.label': 'Attach a photo or PDF (optional)',
  'att.more': 'Attach another (up to 3)',
  'att.list': 'Attachments',
  'att.chosen': 'Files to send',
  'att.item': '{type}, {size}',
  'att.photo': 'Photo',
  'att.pdf': 'PDF',
  'att.remove': 'Remove',
  'att.removeLabel': 'Remove attachment {n}',
  'att.download': 'Download',
  'att.downloadLabel': 'Download {title}',
  'att.downloading': 'Downloading…',
  'att.title': 'Attachment {n}',
} as const;

export const attachEs: Record<keyof typeof attachEn, string> = {
  'att.label': 'Adjuntar una foto o un PDF (opcional)',
  'att.more': 'Adjuntar otro (hasta 3)',
  'att.list': 'Archivos adjuntos',
  'att.chosen': 'Archivos para enviar',
  'att.item': '{type}, {size}',
  'att.photo': 'Foto',
  'att.pdf': 'PDF',
  'att.remove': 'Quitar',
  'att.removeLabel': 'Quitar el archivo adjunto {n}',
  'att.download': 'Descargar',
  'att.downloadLabel': 'Descargar {title}',
  'att.downloading': 'Descargando…',
  'att.title': 'Archivo adjunto {n}',
};
