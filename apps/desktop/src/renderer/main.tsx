import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(<p>Hi_Msg</p>);
