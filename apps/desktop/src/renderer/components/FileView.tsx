import { isImageMime, type FileRef } from '@hi-msg/contracts';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import { useApp } from '../app-context';
import { useTranslation } from '../i18n';
import { formatSize } from '../lib/format';
import { Icon } from './icons';
import { ErrorText, Modal } from './ui';

const blobUrls = new Map<string, Promise<string>>();

/** An object URL for a file fetched with the Bearer token; cached per file and size. */
function blobUrl(api: ApiClient, fileId: string, preview: boolean): Promise<string> {
  const key = `${fileId}:${preview ? 'p' : 'f'}`;
  let p = blobUrls.get(key);
  if (!p) {
    p = api.fetchBlob(fileId, preview).then((b) => URL.createObjectURL(b));
    p.catch(() => blobUrls.delete(key));
    blobUrls.set(key, p);
  }
  return p;
}

async function download(api: ApiClient, file: FileRef): Promise<void> {
  const url = await blobUrl(api, file.id, false);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

function useBlobUrl(fileId: string, preview: boolean): [string | null, unknown] {
  const { api } = useApp();
  const [state, setState] = useState<[string | null, unknown]>([null, null]);
  useEffect(() => {
    let live = true;
    blobUrl(api, fileId, preview).then(
      (url) => live && setState([url, null]),
      (err: unknown) => live && setState([null, err]),
    );
    return () => {
      live = false;
    };
  }, [api, fileId, preview]);
  return state;
}

/** An image inline (its preview), larger on click; any other file as a card that downloads. */
export function FileView({ file }: { file: FileRef }) {
  const { t } = useTranslation();
  const { api } = useApp();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (isImageMime(file.mime)) {
    return (
      <>
        <button type="button" className="image-button" aria-label={t('room.openImage', { name: file.name })} onClick={() => setOpen(true)}>
          <ImagePreview file={file} preview />
        </button>
        {open && (
          <Modal title={file.name} onClose={() => setOpen(false)}>
            <div className="lightbox">
              <ImagePreview file={file} preview={false} />
            </div>
            <div className="actions">
              <button type="button" className="primary" onClick={() => void download(api, file).catch(setError)}>
                {t('room.download', { name: file.name })}
              </button>
            </div>
            <ErrorText error={error} />
          </Modal>
        )}
      </>
    );
  }
  return (
    <div className="file-card">
      <span className="file-icon">
        <Icon.file />
      </span>
      <span className="file-info">
        <span className="file-name">{file.name}</span>
        <span className="file-size">{formatSize(file.size)}</span>
      </span>
      <button type="button" className="link" aria-label={t('room.download', { name: file.name })} onClick={() => void download(api, file).catch(setError)}>
        <Icon.download />
      </button>
      <ErrorText error={error} />
    </div>
  );
}

function ImagePreview({ file, preview }: { file: FileRef; preview: boolean }) {
  const [url, error] = useBlobUrl(file.id, preview);
  if (error) return <ErrorText error={error} />;
  if (!url) return <span className="image-placeholder" aria-busy="true" />;
  return <img src={url} alt={file.name} className={preview ? 'preview' : 'full'} />;
}
