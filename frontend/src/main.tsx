import { render } from 'preact'
import './index.css'
import { App } from './app.tsx'
import { startServiceWorker } from './lib/pwa'

render(<App />, document.getElementById('app')!)
startServiceWorker()
